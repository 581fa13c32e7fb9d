"""Gallery pages."""

import html

import albums
import media
import pages
from base import BaseHandler

SIZES = {"small": "160x160", "large": "1024x1024"}


class AlbumHandler(BaseHandler):
    def get(self, album):
        order = self.get_argument("order", "taken")
        rows = albums.photos(self.db, album, order)
        self.write({"photos": rows})


class SearchHandler(BaseHandler):
    def get(self):
        rows = albums.search(self.db, self.get_argument("q"))
        self.write({"photos": rows})


class CaptionHandler(BaseHandler):
    def get(self, album):
        page = "<main>" + pages.heading(album)
        page += pages.caption_block(self.get_argument("caption", ""))
        page += pages.photo_list(albums.photos(self.db, album, "taken"))
        self.write(page + "</main>")


class AlbumPageHandler(BaseHandler):
    def get(self, album):
        page = "<main>" + pages.heading(album)
        page += pages.photo_list(albums.photos(self.db, album, "taken"))
        self.write(page + "</main>")


class CountHandler(BaseHandler):
    def get(self, album):
        count = len(albums.photos(self.db, album, "taken"))
        self.write("<p>%d photos in this album</p>" % count)


class SlideshowHandler(BaseHandler):
    def get(self, album):
        page = "<div id='slides'></div>"
        page += pages.slideshow(album, self.get_argument("start", "0"))
        self.finish(page)


class PhotoHandler(BaseHandler):
    def get(self, name):
        self.set_header("Content-Type", "image/jpeg")
        self.write(media.original(name))


class ThumbHandler(BaseHandler):
    def get(self):
        size = SIZES.get(self.get_argument("size", "small"), "160x160")
        self.write(media.thumbnail(self, size))


class ImportHandler(BaseHandler):
    def post(self):
        count = media.import_url(self.get_body_argument("url"))
        self.write({"imported": count})


class LoginHandler(BaseHandler):
    def post(self):
        self.set_secure_cookie(
            "user", self.get_body_argument("user"), httponly=True, secure=True, samesite="Lax"
        )
        self.redirect(self.get_argument("next", "/"))

    def get(self):
        self.write("<p>Sign in to " + html.escape(self.settings["title"]) + "</p>")
