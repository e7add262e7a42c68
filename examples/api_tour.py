"""A tour of cvforge's Python API, using nothing but `import cvforge`.

Run it from anywhere with the path of a folder of profiles:
    python examples/api_tour.py profiles/ [broken-profile.yaml]
It loads each profile three ways, renders every format in memory, shows a broken profile's
located problems, and builds the folder on a local Dask cluster (needs `cvforge[dask]`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import cvforge


def main(folder: Path, broken: Path | None) -> None:
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    for path in paths:
        profile = cvforge.load(path)
        assert cvforge.load(path.read_text(encoding="utf-8"), base_dir=path.parent) == profile
        assert cvforge.load(profile.model_dump(mode="json", exclude_none=True), base_dir=path.parent) == profile
        formats = ("pdf", "docx", "html", "md", "txt")
        sizes = {fmt: len(cvforge.render(profile, fmt, base_dir=path.parent)) for fmt in formats}
        pages = cvforge.render(profile, "png", base_dir=path.parent)
        report = cvforge.check(cvforge.render(profile, "pdf", base_dir=path.parent), profile)
        print(f"{profile.person.name}: {sizes}, {len(pages)} PNG pages; {report.summary()}")

    if broken is not None:
        try:
            cvforge.load(broken)
        except cvforge.ProfileError as error:
            print(f"{broken.name}: {len(error.problems)} problems")
            for problem in error.problems:
                print(f"  line {problem.line}, column {problem.column}, {problem.path or '(file)'}: {problem.message}")

    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
        tempfile.TemporaryDirectory() as out,
    ):
        result = cvforge.build([folder], out_dir=out, formats=["pdf", "docx", "html"], executor=client.get_executor())
        print(f"dask build: ok={result.ok}, {len(result.outputs)} files: {[o.path.name for o in result.outputs]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
