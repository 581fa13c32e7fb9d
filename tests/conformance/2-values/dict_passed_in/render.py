"""PDF rendering helpers."""

import subprocess


def render_pdf(options):
    subprocess.run(f"wkhtmltopdf --page-size {options['page_size']} /tmp/in.html /tmp/out.pdf", shell=True)  # ok: command-injection
    subprocess.run(f"exiftool -Title='{options['title']}' /tmp/out.pdf", shell=True)  # expect: command-injection
    return "/tmp/out.pdf"
