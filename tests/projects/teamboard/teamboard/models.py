from teamboard import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(200), unique=True)
    password_hash = db.Column(db.String(200))
    otp_secret = db.Column(db.String(32), nullable=True)
    is_admin = db.Column(db.Boolean, default=False)


class Board(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    title = db.Column(db.String(200))


class Card(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    board_id = db.Column(db.Integer, db.ForeignKey("board.id"))
    owner_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    text = db.Column(db.Text)
    done = db.Column(db.Boolean, default=False)
