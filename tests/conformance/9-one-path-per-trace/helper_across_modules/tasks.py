import subprocess

from text import shorten

DIGEST_SUBJECT = "Your weekly notes digest"
DIGEST_RECIPIENTS = "/srv/notes/digest-recipients.txt"


def send_weekly_digest():
    subject = shorten(DIGEST_SUBJECT, width=40)  # not-step: xss
    subprocess.run(f"mail -s '{subject}' -t < {DIGEST_RECIPIENTS}", shell=True)  # ok: command-injection
