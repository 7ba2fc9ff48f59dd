"""Command-line entry point: ``python manage.py --help``."""

from tracker.cli import main

if __name__ == "__main__":
    main()
