"""Demo messaging: placeholder replaced below."""
TITLE = "Messages"


def run(session, ctx) -> None:
    pass
