"""Entry point of the ``crm`` command."""

import os

# Textual 8.2.7+ turns on the Kitty keyboard protocol, which garbles an input method's commit of five or more
# Chinese characters. This must be set before Textual is imported anywhere.
os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")


def main() -> None:
    from crm_tui.cli import cli

    cli(prog_name="crm")


if __name__ == "__main__":
    main()
