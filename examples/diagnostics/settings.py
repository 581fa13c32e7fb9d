"""Settings loaded from a YAML file, with a suppression comment that names no rule."""
import yaml


with open("settings.yaml") as stream:
    config = yaml.load(stream, Loader=yaml.Loader)  # secreview: ignore[unsafe-yaml-lod]
