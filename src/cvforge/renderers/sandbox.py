"""What a theme's templates can reach: their own folder's files, and nothing else.

Jinja's FileSystemLoader already refuses `..` and absolute names, but follows symbolic links; a
theme from elsewhere could ship `templates/x.j2 -> ~/.aws/credentials` and print the file into a
resume. This loader reads a template only when its real path is inside the theme's folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from jinja2.loaders import split_template_path

from cvforge.errors import ThemeError


class ThemeLoader(FileSystemLoader):
    """Templates from `<theme>/templates` folders, refusing any whose real path leaves `<theme>`."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # raises TemplateNotFound for '..'
        for search_path in self.searchpath:
            candidate = Path(search_path, *pieces)
            if candidate.is_file():
                theme_folder = Path(search_path).parent.resolve()
                real = candidate.resolve()
                if not real.is_relative_to(theme_folder):
                    raise ThemeError(
                        f"template '{template}' in {theme_folder} is a link to {real}, outside the theme's folder; "
                        "cvforge does not read it"
                    )
                break
        return super().get_source(environment, template)
