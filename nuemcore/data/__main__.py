"""``python -m nuemcore.data``: fetch, verify and list the book's input data.

  fetch [FOLDER...]   download what is missing (all folders without arguments); NUEM_DATA_URL=<base>
                      reads from a mirror laid out like the data folder
  verify              re-check the SHA-256 of every file present; non-zero exit naming each bad one
  list [--json]       the registry: path, sha256, size, url
  where               print the data root
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from . import FETCH_CMD, entries, fetch, fetch_root, root, verify_all
from ..errors import DataFileError, NuemError


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nuemcore.data", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch", help="download missing files (pooch, sha256, retries)")
    f.add_argument("folders", nargs="*", metavar="FOLDER")
    f.add_argument("--no-progress", action="store_true", help="no progress bar")
    f.add_argument("--quick", action="store_true",
                   help="trust present files of the right size (no checksum; `verify` does that)")
    sub.add_parser("verify", help="re-check every file present")
    li = sub.add_parser("list", help="print the registry")
    li.add_argument("--json", action="store_true")
    sub.add_parser("where", help="print the data root")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "fetch":
            t0 = time.perf_counter()
            c = fetch(args.folders or None, progress=not args.no_progress, quick=args.quick)
            dt = time.perf_counter() - t0
            for rel in c["replaced_files"]:
                print(f"replaced a bad copy: {fetch_root() / rel}", file=sys.stderr)
            print(f"data in {fetch_root()}: {c['present']} present, {c['downloaded']} downloaded, "
                  f"{c['bundled']} copied from the package, {c['docs']} notes skipped "
                  f"(no mirror), {c['manual']} need a manual copy "
                  f"({dt:.1f} s)")
            for rel in c["manual_files"]:
                print(f"  no public source for {rel}: copy it by hand, see "
                      f"{rel.split('/')[0]}/PROVENANCE.md", file=sys.stderr)
            return 1 if c["manual"] else 0
        if args.cmd == "verify":
            r = root()
            n, bad, missing = verify_all(r)
            for rel in bad:
                print(f"BAD checksum: {r / rel}", file=sys.stderr)
            print(f"{r}: {n} files checked, {len(bad)} bad, {len(missing)} not present"
                  + (f" (run `{FETCH_CMD}`)" if missing else ""))
            return 1 if bad else 0
        if args.cmd == "list":
            rows = [{k: e[k] for k in ("path", "sha256", "size", "url", "kind")} for e in entries()]
            if args.json:
                print(json.dumps(rows, indent=1))
            else:
                for e in rows:
                    print(f"{e['size']:>10}  {e['path']}  {e['url'] or '-'}")
            return 0
        print(root())
        return 0
    except (DataFileError, NuemError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
