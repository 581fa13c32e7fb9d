"""Taint rule `unsafe-deserialization` (CWE-502): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="unsafe-deserialization",
        cwe=502,
        severity="critical",
        confidence="high",
        title="Untrusted data deserialized into objects",
        why=(
            "Attacker-controlled bytes reach a deserializer (pickle, marshal, "
            "shelve, an unsafe YAML "
            "loader, jsonpickle) that can construct arbitrary objects; a crafted payload runs code "
            "during loading."
        ),
        example='data = base64.b64decode(request.cookies["state"])\nstate = pickle.loads(data)',
        fix=(
            "Exchange data as JSON (`json.loads`) or load YAML with "
            "`yaml.safe_load`; if objects must"
            " cross a trust boundary, sign them (e.g. `itsdangerous`) and verify before loading."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://docs.python.org/3/library/pickle.html",
        ),
        fix_by_api=(
            FixText(
                ("torch",),
                "Load with `torch.load(f, weights_only=True)` (the default from PyTorch 2.6), or "
                "exchange weights as safetensors (`safetensors.torch.load_file`).",
            ),
            FixText(
                ("yaml",),
                "Load with `yaml.safe_load(data)` (or `Loader=yaml.SafeLoader`): it builds only "
                "plain data, whatever tags the document holds.",
            ),
            FixText(
                ("pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib", "shelve"),
                "Exchange data as JSON (`json.loads`); when bytes must come back to you, sign them "
                "(`hmac.compare_digest` on an HMAC, or `itsdangerous`) and verify before "
                "unpickling, or restrict `pickle.Unpickler.find_class` to known classes.",
            ),
            FixText(
                ("jsonpickle",),
                "Decode with `json.loads` into plain data and build your objects yourself; "
                "`jsonpickle.decode` instantiates any class the document names.",
            ),
            FixText(
                ("marshal",),
                "Exchange data as JSON (`json.loads`); `marshal` is for Python's own trusted "
                "bytecode, never for data from outside.",
            ),
        ),
        kind="taint",
    )
)
