"""``hepatic serve``: the planning API and web page on this machine.

FastAPI and uvicorn are imported inside the command, so importing ``anatomy`` (or
running any other command) never loads the web stack.
"""

from __future__ import annotations

import click

__all__ = ["COMMANDS"]


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default answers this machine only.",
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port."
)
def serve_command(host: str, port: int) -> None:
    """Start the planning API (/v1, /docs), the web page (/) and the class pages (/class/).

    Limits come from HEPATIC_MAX_BODY_BYTES, HEPATIC_MAX_VESSELS, HEPATIC_MAX_TUMORS,
    HEPATIC_MAX_STRING_LENGTH, HEPATIC_BODY_TIMEOUT_S (seconds for a body to arrive) and
    HEPATIC_WORKERS (threads computing at once); the renderers' from HEPATIC_MAX_RENDERERS,
    HEPATIC_RENDER_TIMEOUT_S, HEPATIC_RENDER_WAIT_S and HEPATIC_MAX_DRAWN_VESSELS; an
    instructor's teaching cases from HEPATIC_CASES_DIR. Stop with Ctrl-C.
    """
    import uvicorn

    from api.main import create_app

    try:
        app = create_app()
    except ValueError as exc:  # a malformed HEPATIC_* setting
        raise click.UsageError(str(exc)) from None
    click.echo(f"hepatic: serving on http://{_url_host(host)}:{port}/ (Ctrl-C stops)", err=True)
    # No websockets in this app, so none loaded. The asyncio loop, not uvloop even when
    # installed: under load uvloop left some requests waiting 5-10x the median (bench_api).
    uvicorn.run(
        app, host=host, port=port, log_level="info", server_header=False, ws="none", loop="asyncio"
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


COMMANDS: list[click.Command] = [serve_command]
