"""What a theme's templates can reach: their own folder's files, and nothing else.

Jinja's FileSystemLoader already refuses `..` and absolute names, but follows symbolic links; a
theme from elsewhere could ship `templates/x.j2 -> ~/.aws/credentials` and print the file into a
resume. This loader reads a template only when its real path is inside the theme's folder.

A child theme reuses its parent's page through Jinja blocks: its `resume.html.j2` says
`{% extends "classic/resume.html.j2" %}` and overrides a block. `theme_loader` makes that name
work: a bare name is looked up along the whole `extends` chain (the child's file first), and
`<theme>/<name>` is the name as that theme of the chain, and the themes it extends, resolve it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
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


def theme_loader(template_dirs: Sequence[str]) -> BaseLoader:
    """Templates along an `extends` chain (`template_dirs`: the theme's own folder first, then its
    ancestors'): `name` from the first theme that has it, `<theme>/name` from that theme onwards.

    A theme's name is its folder's, as `extends` names it; a template under a subfolder with a
    theme's name would shadow the prefix, so the bare lookup comes first and changes nothing.
    """
    by_theme: dict[str, BaseLoader] = {
        Path(folder).parent.name: ThemeLoader(list(template_dirs[index:])) for index, folder in enumerate(template_dirs)
    }
    return ChoiceLoader([ThemeLoader(list(template_dirs)), PrefixLoader(by_theme)])
