"""`if x in {...}:` protects `x` inside the branch; the `else` branch keeps the taint, and a
test on one value does not protect another."""

import requests
from flask import Flask, request

app = Flask(__name__)


@app.get("/weather")
def weather():
    region = request.args.get("region", "eu")
    city = request.args.get("city", "")
    if region in {"eu", "us", "ap"}:
        forecast = requests.get(f"https://{region}.weather.example/v1/today", timeout=5)  # ok: ssrf
        requests.get(f"https://{city}.weather.example/v1/today", timeout=5)  # expect: ssrf
    else:
        forecast = requests.get(f"https://{region}.weather.example/v1/today", timeout=5)  # expect: ssrf
    return forecast.json()


@app.get("/weather/alerts")
def alerts():
    region = request.args.get("region", "eu")
    if region in ["eu", "us"] or region in ("ap",):
        return requests.get(f"https://{region}.alerts.example/v1", timeout=5).json()  # ok: ssrf
    return {"alerts": []}
