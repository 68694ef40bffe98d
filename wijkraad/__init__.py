"""wijkraad: cooperative neighbourhood councils, from seats to decisions."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter

from wijkraad import config as config_module
from wijkraad.db import MAX_ID
from wijkraad.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(config_module.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config_module.from_environment(Path(app.instance_path)))
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.secret_key_for(Path(app.instance_path))

    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    if level := os.environ.get("WIJKRAAD_LOG_LEVEL"):
        logging.basicConfig(level=level.upper())
    _init_extensions(app)
    _register_blueprints(app)

    from wijkraad import cli, error_pages, security, web
    from wijkraad.mail import commands as mail_commands

    error_pages.register_error_handlers(app)
    security.init_app(app)
    web.init_app(app)
    cli.init_app(app)
    if app.config["MAIL_IN_PROCESS"] and not app.testing:
        mail_commands.start_in_process(app)
    return app


def _init_extensions(app: Flask) -> None:
    from wijkraad import connections, i18n, models  # noqa: F401  (models: every table)
    from wijkraad.auth import passwords

    passwords.init_app(app)
    db.init_app(app)
    with app.app_context():
        connections.tune(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    i18n.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page itself says why


class BoundedInt(IntegerConverter):
    """Ids in URLs fit the database's integer: a larger number is a 404, not an overflow."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedInt
    from wijkraad.admin.views import bp as admin_bp
    from wijkraad.api import bp as api_bp
    from wijkraad.auth.views import bp as auth_bp
    from wijkraad.budget.views import bp as budget_bp
    from wijkraad.councils.views import bp as councils_bp
    from wijkraad.documents.views import bp as documents_bp
    from wijkraad.look.views import bp as look_bp
    from wijkraad.meetings.attendance_views import bp as attendance_bp
    from wijkraad.meetings.correction_views import bp as corrections_bp
    from wijkraad.meetings.views import bp as meetings_bp
    from wijkraad.minutes.views import bp as minutes_bp
    from wijkraad.motions.views import bp as motions_bp
    from wijkraad.publishing.data_views import bp as open_data_bp
    from wijkraad.publishing.feed_views import bp as feeds_bp
    from wijkraad.publishing.pdf_views import bp as pdf_bp
    from wijkraad.publishing.site_views import bp as archive_bp
    from wijkraad.sortition import public_views  # noqa: F401  (its pages register on bp)
    from wijkraad.sortition.views import bp as sortition_bp
    from wijkraad.voting.home_views import bp as home_bp
    from wijkraad.voting.views import bp as voting_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(councils_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(corrections_bp)
    app.register_blueprint(attendance_bp)
    app.register_blueprint(motions_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(voting_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(open_data_bp)
    app.register_blueprint(minutes_bp)
    app.register_blueprint(pdf_bp)
    app.register_blueprint(archive_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(budget_bp)
    app.register_blueprint(look_bp)
    app.register_blueprint(sortition_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # the API authenticates with bearer tokens, never with cookies
