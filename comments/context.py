"""What the article page needs from the comments app.

`ArticleDetailView` calls `comment_block_context(request, article)` and the
template includes `comments/_comments.html` with it.
"""


def comment_block_context(request, article):
    return {}
