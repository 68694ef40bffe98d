"""WSGI entry point: ``gunicorn wsgi:app``."""

from wijkraad import create_app

app = create_app()
