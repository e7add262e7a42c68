"""`python -m cvforge` runs the command line, as the `cvforge` script does."""

from cvforge.cli import main

if __name__ == "__main__":
    main(prog_name="cvforge")
