"""Taint rule `zip-extract-untrusted` (CWE-409): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="zip-extract-untrusted",
        cwe=409,
        severity="high",
        confidence="medium",
        title="Uploaded zip archive extracted without size limits",
        why=(
            "A zip archive from the request is inflated to disk whole: a few kilobytes of "
            "crafted deflate data (a zip bomb) expand to gigabytes and fill the disk or exhaust "
            "inodes, taking the service down. zipfile removes '..' and absolute paths from "
            "member names, so the danger is the size, not the location."
        ),
        example=(
            "upload = request.files['bundle']\n"
            "with zipfile.ZipFile(upload) as zf:\n"
            "    zf.extractall(UPLOAD_DIR)"
        ),
        fix=(
            "Before extracting, check the member count and the sum of ZipInfo.file_size "
            "against limits (and each member's compression ratio), then extract member by "
            "member with zf.open() copying at most the declared size; or reject archives and "
            "accept plain files."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/409.html",
            "https://docs.python.org/3/library/zipfile.html#decompression-pitfalls",
        ),
        kind="taint",
    )
)
