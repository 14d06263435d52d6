from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("articles/<int:pk>/vue/", views.record_view, name="record_view"),
    path("rubrique/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("rubrique/<slug:slug>/rss/", feeds.SectionFeed(), name="section_rss"),
    path("rubrique/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section_atom"),
    path("mot-cle/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("auteur/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("recherche/", views.SearchView.as_view(), name="search"),
    path("rectificatifs/", views.CorrectionListView.as_view(), name="corrections"),
    path("rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
]
