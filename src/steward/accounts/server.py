"""Serving Steward with waitress (`steward serve`, and the last step of `steward demo`)."""

from __future__ import annotations

from django.core.management import call_command


def collect_static() -> None:
    """Copy and fingerprint the static files into STATIC_ROOT, quietly.

    Must run before the WSGI application is created: WhiteNoise indexes STATIC_ROOT then,
    and the manifest storage refuses to render a page whose stylesheet it has not collected.
    """
    call_command("collectstatic", interactive=False, verbosity=0)


def display_url(host: str, port: int) -> str:
    """The address to print for a bind address (IPv6 in brackets; wildcards as loopback)."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 - naming the wildcard, not binding to it
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def run_server(host: str, port: int, threads: int) -> None:
    """Serve `steward.wsgi.application` with waitress until interrupted."""
    import waitress

    from steward.security.deploy import server_options

    # Imported only now, after collectstatic, so that WhiteNoise sees the collected files.
    from steward.wsgi import application

    # A request-size cap above the largest upload, and the trusted reverse proxy, if any.
    options = server_options()
    waitress.serve(application, host=host, port=port, threads=threads, ident="Steward", **options)
