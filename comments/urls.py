from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("envoyer/", views.post_comment, name="post"),
    path("jeton/<int:article_id>/", views.form_token, name="token"),
    path("<int:pk>/signaler/", views.report_comment, name="report"),
    path("<int:pk>/decision/<str:token>/", views.email_decision, name="email_decision"),
]
