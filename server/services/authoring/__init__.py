"""Knowledge authoring on the server (issue 13; the contract: docs/authoring.md).

proposals.py   submit (online and outbox batch), list, read; the base checked on arrival
review.py      approve, reject, publish (through server/services/articles.py), retire
attachments.py images and PDFs: sniffed by content, capped, stored once by SHA-256
feedback.py    agents' helpful / not helpful votes (outbox batch)
attention.py   the trainers' lists: review overdue, many "not helpful", linked questions
vocabulary.py  synonym groups and the user dictionary, published through the feed
"""
