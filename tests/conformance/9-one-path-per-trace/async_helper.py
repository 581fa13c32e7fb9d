"""An async helper awaited by two FastAPI endpoints, one passing the client's query and one
a constant: only the first reaches its HTML sink, through its own await."""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


async def headline(text: str) -> str:
    return f"<h2>{text.strip().title()}</h2>"


@app.get("/search", response_class=HTMLResponse)
async def search(q: str):
    title = await headline(q)  # step: xss
    return HTMLResponse(title + "<ul></ul>")  # expect: xss


@app.get("/", response_class=HTMLResponse)
async def home():
    title = await headline("welcome back")  # not-step: xss
    return HTMLResponse(title)  # ok: xss
