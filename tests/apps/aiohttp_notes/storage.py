"""The notes database."""


def search_notes(db, term):
    cursor = db.cursor()
    cursor.execute("SELECT id, title FROM notes WHERE title LIKE '%" + term + "%'")
    return cursor.fetchall()


def note_by_id(db, note_id):
    cursor = db.cursor()
    cursor.execute("SELECT id, title, body FROM notes WHERE id = ?", (note_id,))
    return cursor.fetchall()


def save_note(db, note):
    db.execute("INSERT INTO notes (title, body) VALUES (?, ?)", (note["title"], note["body"]))
    db.commit()


def recent_titles(db):
    cursor = db.execute("SELECT title FROM notes ORDER BY id DESC LIMIT 20")
    return [row[0] for row in cursor]
