"""Generate ``nuemcore/data/registry.json`` (and the bundled copies) from the data folder.

    python scripts/make_data_registry.py [--data DIR] [--mirrors DIR] [--out FILE]

For every file under the data folder: relative path, SHA-256, size, and its original source.
The sources are the rules in ``SOURCES`` below, each transcribed from the folder's PROVENANCE.md
(repository, commit and path named there); the URL is the raw GitHub URL of the file at that
commit.  No URL is made up: a file no rule covers is either ``BUNDLED`` (small derived or
transcribed tables with no public copy; copied into ``nuemcore/data/bundled/`` and shipped as
package data, listed with their sources in its ``BUNDLED.md``), ``DOC`` (the folders'
PROVENANCE.md and other staging notes: read beside the data, never copied), or gets
``url: null`` with the reason.

``--mirrors DIR`` (a folder of git mirrors ``DIR/<owner>+<name>/repo``) checks every URL offline:
the git blob at ``<commit>:<path>`` must equal the local file byte for byte (``git hash-object``),
otherwise the script stops.  The registry records which entries were checked this way.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "nuemcore" / "data" / "registry.json"
BUNDLED = REPO / "nuemcore" / "data" / "bundled"

# (local prefix, GitHub owner/name, commit, remote prefix, {local name: remote path}), from the
# PROVENANCE.md of each folder (the quoted words are where the rule comes from).
SOURCES = [
    # coherent_csi_2017/PROVENANCE.md: "athompson-tamu/pyCEvNS, commit c203b60..., path pyCEvNS/data/<file>"
    ("coherent_csi_2017/", "athompson-tamu/pyCEvNS", "c203b6019e60b9176d997774bfd24b76baa97d54",
     "pyCEvNS/data/", {}),
    # coherent_csi_2021_partial/PROVENANCE.md: "philippeller/Newtrinos.jl, commit 653141b..., path
    # src/experiments/coherent/coherent_2020/csi/<file>"
    ("coherent_csi_2021_partial/", "philippeller/Newtrinos.jl", "653141ba6e05dd920fd0a795eb82e3de626076ce",
     "src/experiments/coherent/coherent_2020/csi/", {}),
    # coherent_lar_2020/PROVENANCE.md: same repository and commit, ".../coherent_2020/lAr/<file>"
    ("coherent_lar_2020/", "philippeller/Newtrinos.jl", "653141ba6e05dd920fd0a795eb82e3de626076ce",
     "src/experiments/coherent/coherent_2020/lAr/", {}),
    # dune_nd_2017/PROVENANCE.md: "The FD files come from the DarkNews copy only (same commit and directory)"
    ("dune_nd_2017/extra_FD/", "mhostert/DarkNews-generator", "54d63a6b9c104bef184c2089286e36edb4b3eaa5",
     "src/DarkNews/include/fluxes/data_release_DUNE/", {}),
    # dune_nd_2017/PROVENANCE.md: "mhostert/TridentSmite, Path fluxes/DUNE_2017/<name above>, Commit c71c897..."
    ("dune_nd_2017/histos_", "mhostert/TridentSmite", "c71c89740e110fde5c75f1c618c685cd151fb755",
     "fluxes/DUNE_2017/histos_", {}),
    # lhc_fpf_kling2021/PROVENANCE.md: "Fluxes/FASERv2/FASERv2_[CCint_]<pdg>.txt, Fluxes/FLArE10/...,
    # Fluxes/FLArE100/...", commit 5ad87e9...
    ("lhc_fpf_kling2021/FASERnu2/", "KlingFelix/FastNeutrinoFluxSimulation",
     "5ad87e99d675dee9e4ff497e69e0561419be6227", "Fluxes/FASERv2/", {}),
    ("lhc_fpf_kling2021/FLArE10/", "KlingFelix/FastNeutrinoFluxSimulation",
     "5ad87e99d675dee9e4ff497e69e0561419be6227", "Fluxes/FLArE10/", {}),
    ("lhc_fpf_kling2021/FLArE100/", "KlingFelix/FastNeutrinoFluxSimulation",
     "5ad87e99d675dee9e4ff497e69e0561419be6227", "Fluxes/FLArE100/", {}),
    # lz_er_thirdparty/PROVENANCE.md: "SNuDD/SNuDD, commit 11622de..., path snudd/data/exps/LZ2025/<file>"
    ("lz_er_thirdparty/", "SNuDD/SNuDD", "11622ded104994959a649d85e263c2d9f933ea74",
     "snudd/data/exps/LZ2025/", {}),
    # pandax4t_thirdparty/PROVENANCE.md: "snudd/data/exps/pandaX/ER2024/* and snudd/data/exps/pandaX/pandaX.csv
    # (renamed here to pandax4t_8B_nr_efficiency.csv)"
    ("pandax4t_thirdparty/", "SNuDD/SNuDD", "11622ded104994959a649d85e263c2d9f933ea74",
     "snudd/data/exps/pandaX/ER2024/",
     {"pandax4t_8B_nr_efficiency.csv": "snudd/data/exps/pandaX/pandaX.csv"}),
    # solar_ssm/PROVENANCE.md: peanuts "michelelucente/PEANUTS, Commit 59e3a2a..., path Data/<file>"
    ("solar_ssm/peanuts/", "michelelucente/PEANUTS", "59e3a2ae102d58f42cc1146eaca2cae68be879ce", "Data/", {}),
    # kopp_bahcall: "koppj/muons-in-neutron-stars, commit 5c8bf4b..., path solar-nu/<file>"
    ("solar_ssm/kopp_bahcall/", "koppj/muons-in-neutron-stars", "5c8bf4bb7887bc1ffa51f22697fa61ffc9927da6",
     "solar-nu/", {}),
    # bahcall_b8_bls1996: "mhostert/SolarDecayingSteriles, commit 04f3784..., path fluxes/b8spectrum.txt"
    ("solar_ssm/bahcall_b8_bls1996/", "mhostert/SolarDecayingSteriles",
     "04f3784e1eb425f2430a79ab13835f48d6ff7760", "fluxes/", {}),
    # xenon1t_er_2020/PROVENANCE.md: "athompson-tamu/pyCEvNS, branch physics_analysis, commit e300ee3...,
    # XENON1T/reprod/{...}, XENON1T/data/{XENON1T_B0.txt, XENON1T_3H.txt} (renamed with the prefix digitized_)"
    ("xenon1t_er_2020/", "athompson-tamu/pyCEvNS", "e300ee3373f74ba7dd709615c91013416a36b7fd",
     "XENON1T/reprod/",
     {"digitized_XENON1T_B0.txt": "XENON1T/data/XENON1T_B0.txt",
      "digitized_XENON1T_3H.txt": "XENON1T/data/XENON1T_3H.txt"}),
    # xenonnt_b8_cevns/PROVENANCE.md: derived_snudd_xnt_efficiency.csv "from SNuDD/SNuDD @ 11622de...,
    # snudd/data/exps/xnt/xnt_efficiency.csv"
    ("xenonnt_b8_cevns/derived_snudd_xnt_efficiency.csv", "SNuDD/SNuDD",
     "11622ded104994959a649d85e263c2d9f933ea74", "snudd/data/exps/xnt/xnt_efficiency.csv", {}),
    # xenonnt_b8_cevns/PROVENANCE.md (and YIELD_VARIANTS.md): "XENONnT/cevns_data_release, Commit 60d230d...";
    # README.md, LICENSE, data/, binning/, limits/, templates/ copied with the release's layout
    ("xenonnt_b8_cevns/README.md", "XENONnT/cevns_data_release", "60d230dd7a5646fd4aa2368c5fdfba575ee0cb88",
     "README.md", {}),
    ("xenonnt_b8_cevns/LICENSE", "XENONnT/cevns_data_release", "60d230dd7a5646fd4aa2368c5fdfba575ee0cb88",
     "LICENSE", {}),
    *[(f"xenonnt_b8_cevns/{d}/", "XENONnT/cevns_data_release", "60d230dd7a5646fd4aa2368c5fdfba575ee0cb88",
       f"{d}/", {}) for d in ("data", "binning", "limits", "templates")],
    # xenonnt_er_2022/PROVENANCE.md: "yuanguanwen/Chameleon_Detection, commit 8394853..., Path XENONnT/<file>"
    ("xenonnt_er_2022/", "yuanguanwen/Chameleon_Detection", "8394853ccd62014c514ba8aa117675b6376b0845",
     "XENONnT/", {}),
    # xenonnt_lightwimp/PROVENANCE.md: "XENONnT/light_wimp_data_release, Commit a09cd8f...,
    # Paths under light_wimp_data_release/ (prefix dropped here)"
    # its "README.md" is the repository's top-level README.md (git blob identical), not the one under
    # light_wimp_data_release/
    ("xenonnt_lightwimp/README.md", "XENONnT/light_wimp_data_release",
     "a09cd8fd77570dc2095f65f094fbcc114b634dfc", "README.md", {}),
    ("xenonnt_lightwimp/", "XENONnT/light_wimp_data_release", "a09cd8fd77570dc2095f65f094fbcc114b634dfc",
     "light_wimp_data_release/", {}),
]

# Derived or transcribed tables with no public copy: shipped inside the package
# (nuemcore/data/bundled/, listed with these notes in its BUNDLED.md).
BUNDLED_FILES = {
    "atomic_binding/shell_binding_energies_geant4.csv": "numbers transcribed from Geant4 G4AtomicShells.cc",
    "lhc_fpf_kling2021/bin_edges_GeV.txt": "derived here from the bin centres (see PROVENANCE.md)",
    "reactor/reactor_isotope_spectra_coefficients.csv": "coefficients transcribed from several sources",
    "reactor/energy_per_fission_MeV.csv": "transcribed (Kopeikin 2004, Ma 2013 as quoted)",
    "reactor/vogel_engel_lowE_table_UNVERIFIED.txt": "transcription flagged UNVERIFIED in its header",
}
# Documentation written when the data folder was staged (PROVENANCE.md files, the folder index,
# checksum lists, notes): read where the data are, never copied into the package; no computation
# reads them.  A mirror (NUEM_DATA_URL) serves them with the rest; otherwise fetch lists them.
DOC_FILES = {
    "README.md": "index of the data folder",
    "lhc_fpf_kling2021/SHA256SUMS": "checksums written when the folder was staged",
    "dune_nd_2017/SHA256SUMS": "checksums written when the folder was staged",
    "notes_not_found/TEXONO_51Cr_NOTES.md": "notes on what was not found",
    "xenonnt_b8_cevns/YIELD_VARIANTS.md": "note written when the yield variants were staged",
}
BUNDLED_MAX_BYTES = 64_000  # a bundled file must be small


def _rule(rel: str):
    for local, repo, commit, remote, renames in SOURCES:
        if rel == local or (local.endswith("/") and rel.startswith(local)) or \
                (not local.endswith("/") and rel.startswith(local) and "/" not in rel[len(local):]):
            rest = rel[len(local):]
            name = rel.rsplit("/", 1)[-1]
            rpath = renames.get(name, remote + rest)
            return repo, commit, rpath
    return None


def _git_dir(mirrors: Path, repo: str) -> Path:
    d = mirrors / repo.replace("/", "+") / "repo"
    return d / ".git" if (d / ".git").is_dir() else d


def _blob(p: Path) -> str:
    data = p.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _tree_blobs(git_dir: Path, commit: str) -> dict:
    out = subprocess.run(["git", f"--git-dir={git_dir}", "ls-tree", "-r", commit],
                         check=True, capture_output=True, text=True).stdout
    blobs = {}
    for line in out.splitlines():
        meta, name = line.split("\t", 1)
        blobs[name] = meta.split()[2]
    return blobs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--mirrors", type=Path, help="folder of git mirrors <owner>+<name>/repo")
    ap.add_argument("--out", type=Path, default=OUT,
                    help="registry file to write; the bundled copies go to 'bundled/' beside it")
    args = ap.parse_args(argv)
    out, bundled_dir = args.out, args.out.parent / "bundled"
    data = args.data.resolve()
    files = sorted(p for p in data.rglob("*") if p.is_file())
    trees: dict = {}
    entries, problems, checked = [], [], 0
    if bundled_dir.exists():
        shutil.rmtree(bundled_dir)
    for p in files:
        rel = p.relative_to(data).as_posix()
        e = {"path": rel, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
             "size": p.stat().st_size}
        rule = None if rel.endswith("PROVENANCE.md") else _rule(rel)
        if rule is not None:
            repo, commit, rpath = rule
            e["url"] = f"https://raw.githubusercontent.com/{repo}/{commit}/{quote(rpath)}"
            e["kind"] = "github"
            if args.mirrors:
                key = (repo, commit)
                if key not in trees:
                    trees[key] = _tree_blobs(_git_dir(args.mirrors, repo), commit)
                if trees[key].get(rpath) != _blob(p):
                    problems.append(f"{rel}: not byte-identical to {repo}@{commit[:7]}:{rpath}")
                checked += 1
        elif rel in BUNDLED_FILES:
            if e["size"] > BUNDLED_MAX_BYTES:
                problems.append(f"{rel}: {e['size']} bytes is too large to bundle")
            e["url"] = None
            e["kind"] = "bundled"
            e["note"] = BUNDLED_FILES[rel]
            dst = bundled_dir / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, dst)
        elif rel.endswith("PROVENANCE.md") or rel in DOC_FILES:
            e["url"] = None
            e["kind"] = "doc"
            e["note"] = DOC_FILES.get(rel, "provenance of the folder, written when it was staged")
        else:
            e["url"] = None
            e["kind"] = "none"
            e["note"] = f"no exact public source in {rel.split('/')[0]}/PROVENANCE.md"
        entries.append(e)
    if problems:
        raise SystemExit("registry not written:\n  " + "\n  ".join(problems))
    (bundled_dir / "BUNDLED.md").write_text(
        "# Tables shipped inside nuemcore\n\nDerived or transcribed tables with no public copy "
        "(generated by scripts/make_data_registry.py;\nthe full provenance is the PROVENANCE.md "
        "of each folder in the data folder):\n\n"
        + "".join(f"- `{e['path']}`: {e['note']}\n" for e in entries if e["kind"] == "bundled"))
    kinds: dict = {}
    for e in entries:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    head = {"about": "input files of the nuem book; generated by scripts/make_data_registry.py",
            "counts": kinds,
            "checked": f"{checked} GitHub URLs checked offline: the git blob at the commit is "
                       "byte-identical to the file" if checked else "URLs not checked against mirrors"}
    # one entry per line, so that a data update shows as a readable diff
    lines = [json.dumps(e, separators=(",", ":")) for e in entries]
    text = json.dumps(head, indent=1)[:-2] + ',\n "files": [\n' + ",\n".join(lines) + "\n ]\n}\n"
    json.loads(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(f"{len(entries)} files: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
