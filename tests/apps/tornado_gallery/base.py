"""The gallery's base handler: every page handler derives from it."""

import tornado.web


class BaseHandler(tornado.web.RequestHandler):
    @property
    def db(self):
        return self.settings["db"]

    def get_current_user(self):
        return self.get_secure_cookie("user")
