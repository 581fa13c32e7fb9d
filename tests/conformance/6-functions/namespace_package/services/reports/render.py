"""Charts drawn with gnuplot."""

import subprocess

OUTPUT = "/srv/reports/charts"


def render_chart(series):
    script = f"set terminal png; set output '{OUTPUT}/{series}.png'; plot '/srv/data/{series}.dat'"
    subprocess.run(f"gnuplot -e \"{script}\"", shell=True, check=True)  # expect: command-injection
    subprocess.run(f"optipng -quiet {OUTPUT}/latest.png", shell=True, check=True)  # ok: command-injection
    return f"{OUTPUT}/{series}.png"
