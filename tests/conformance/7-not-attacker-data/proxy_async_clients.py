"""FastAPI views that fetch HTML from the docs service with the aiohttp client or httpx,
sending the client's data along: the page the service returns is not the data sent, so
returning it is not reflected xss; the client's query written into HTML is."""

import aiohttp
import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

app = FastAPI()
DOCS = "http://docs.internal:8000"


@app.get("/help/article")
async def help_article(slug: str):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{DOCS}/articles", params={"slug": slug}, timeout=10) as upstream:
            page = await upstream.text()
    return HTMLResponse(page)  # ok: xss


@app.get("/help/changelog")
async def changelog(request: Request):
    language = request.headers.get("accept-language", "en")
    async with httpx.AsyncClient(timeout=10) as client:
        upstream = await client.get(f"{DOCS}/changelog", headers={"Accept-Language": language})
    return HTMLResponse(upstream.text)  # ok: xss


@app.get("/help/missing")
async def help_missing(slug: str):
    return HTMLResponse(f"<p>No help article named {slug}</p>")  # expect: xss
