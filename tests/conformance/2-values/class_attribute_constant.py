"""A class attribute that is never reassigned is a constant where a method reads it through
`self` or the class; one that a method reassigns, on the class or per instance, is not."""

import subprocess


class PostgresBackup:
    COMMAND = "pg_dumpall --globals-only"
    TARGET = "/srv/backups/globals.sql"

    def run(self):
        subprocess.run(f"{self.COMMAND} > {self.TARGET}", shell=True)  # ok: shell-true-non-constant

    @classmethod
    def verify(cls):
        subprocess.run("test -s " + cls.TARGET, shell=True)  # ok: shell-true-non-constant


class ImageTool:
    binary = "/usr/bin/convert"

    @classmethod
    def use_binary(cls, path):
        cls.binary = path

    def version(self):
        subprocess.run(self.binary + " -version", shell=True)  # expect: shell-true-non-constant


class Thumbnailer:
    size = "200x200"

    def __init__(self, size):
        self.size = size

    def run(self):
        subprocess.run(f"convert /srv/in.jpg -resize {self.size} /srv/out.jpg", shell=True)  # expect: shell-true-non-constant
