"""The command line: the ``mktui`` entry point and its subcommands."""
