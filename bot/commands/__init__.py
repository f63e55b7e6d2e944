"""The command line's commands, one module per family; bot/cli.py dispatches to them."""
