"""A bare Flask endpoint, served by its own gunicorn with the app's settings, as a yardstick."""

from flask import Flask

app = Flask(__name__)


@app.get("/ping")
def ping() -> str:
    return "ok"
