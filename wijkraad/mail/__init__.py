"""Mail through an outbox: a message is a row added in the transaction of the change that
causes it, and is sent afterwards by ``flask mail send`` or ``flask mail worker``, retried with
back-off until it goes or is marked failed. Nothing is lost when the mail server is away."""
