"""Command line: ``papi-analysis build-data | provinces | import-raw | inspect-workbook``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


def _cmd_build_data(args: argparse.Namespace) -> int:
    from . import clean, config

    written = clean.build_data()
    for path in written.values():
        print(f"wrote {path.relative_to(config.ROOT)}")
    return 0


def _cmd_provinces(args: argparse.Namespace) -> int:
    from . import provinces

    table = provinces.registry()
    if args.search:
        code = provinces.resolve(args.search)
        table = table.loc[[code]]
    columns = ["province_code", "name_vi", "name_en", "slug", "region_en", "province_2025_name_vi", "aliases"]
    print(table[columns].to_string(index=False))
    return 0


def _cmd_import_raw(args: argparse.Namespace) -> int:
    from . import importer

    written = importer.import_raw(source_root=args.sources, force=args.force)
    for rel in written:
        print(f"data/raw/{rel}")
    print("data/raw/SHA256SUMS")
    return 0


def _cmd_inspect_workbook(args: argparse.Namespace) -> int:
    from . import load

    print(load.inspect_workbook(args.path).to_string(index=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papi-analysis", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build-data", help="rebuild data/processed/ from data/raw/ (checksums verified)")
    p.set_defaults(func=_cmd_build_data)

    p = sub.add_parser("provinces", help="list the 63 provinces, their codes and accepted spellings")
    p.add_argument("search", nargs="?", help="show only the province this name resolves to")
    p.set_defaults(func=_cmd_provinces)

    p = sub.add_parser("import-raw", help="maintainers: write data/raw/ from the official PAPI files")
    p.add_argument("--sources", type=Path, default=None,
                   help="folder holding papi/sources/ and reference/ (default: $PAPI_SOURCES or ../shared/data)")
    p.add_argument("--force", action="store_true", help="allow changing files already in data/raw/")
    p.set_defaults(func=_cmd_import_raw)

    p = sub.add_parser("inspect-workbook", help="list a PAPI workbook's year sheets and flag copied sheets")
    p.add_argument("path", type=Path)
    p.set_defaults(func=_cmd_inspect_workbook)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (LookupError, ValueError, FileNotFoundError, RuntimeError) as err:
        print(f"papi-analysis {args.command}: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
