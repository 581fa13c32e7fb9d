"""Deserialisers that build arbitrary objects: PyYAML, jsonpickle, pandas, numpy, torch."""

from secreview.python.taint.spec import Sink

SINKS = (
    Sink("yaml.load", "unsafe-deserialization", (0, "stream"), "unsafe_yaml_loader"),
    Sink("yaml.load_all", "unsafe-deserialization", (0, "stream"), "unsafe_yaml_loader"),
    Sink("yaml.unsafe_load", "unsafe-deserialization", (0, "stream")),
    Sink("yaml.unsafe_load_all", "unsafe-deserialization", (0, "stream")),
    Sink("yaml.full_load", "unsafe-deserialization", (0, "stream"), confidence="medium"),
    Sink("jsonpickle.decode", "unsafe-deserialization", (0, "string")),
    Sink("jsonpickle.loads", "unsafe-deserialization", (0, "string")),
    Sink("pandas.read_pickle", "unsafe-deserialization", (0, "filepath_or_buffer")),
    Sink("numpy.load", "unsafe-deserialization", (0, "file"), "numpy_allow_pickle"),
    Sink("torch.load", "unsafe-deserialization", (0, "f"), "torch_unsafe_load"),
    Sink("joblib.load", "unsafe-deserialization", (0, "filename")),
)
