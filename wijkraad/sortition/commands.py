"""``flask --app wijkraad draw verify FILE``: check a downloaded record of a draw by lot.

Checking a record needs neither the app nor its database: the command is a plain click group,
also offered to ``flask`` as a plugin command (setup.cfg), so that it runs without the app
being made (which takes seconds), for anyone who checks a draw."""

from __future__ import annotations

import sys

import click

from wijkraad.sortition import record

draw_cli = click.Group("draw", help="Draws by lot: check a published record.")

WORDS = {
    "nl": {"ok": "klopt", "not": "klopt NIET", "checked": "gecontroleerd", "wrong": "FOUT"},
    "en": {"ok": "correct", "not": "NOT correct", "checked": "checked", "wrong": "WRONG"},
}


@draw_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--lang", type=click.Choice(sorted(WORDS)), default="nl", show_default=True)
def verify_command(file: str, lang: str) -> None:
    """Recompute a draw's record (FILE as downloaded, or - for standard input): the pool's
    hash, the announcement's hash, the ranking from the seed and the strata's shares, and the
    bytes themselves. Prints what was checked and the verdict; exit status 0 when it is
    correct, 1 when not."""
    words = WORDS[lang]
    try:
        with click.open_file(file, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error}") from None
    result = record.verify(data)
    for line in result.checked:
        click.echo(f"{words['checked']}: {line.said_in(lang)}")
    for line in result.problems:
        click.echo(f"{words['wrong']}: {line.said_in(lang)}")
    click.echo(f"{file}: {words['ok'] if result.ok else words['not']}")
    if not result.ok:
        sys.exit(1)
