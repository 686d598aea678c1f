"""Pages: portfolio (board, matrix, balance, criteria, export)."""

from django.urls import path

from seedbed.pipeline.views import portfolio

urlpatterns = [
    path("board/", portfolio.board, name="board"),
    path("portfolio/matrix/", portfolio.portfolio_matrix, name="portfolio_matrix"),
    path("portfolio/matrix.svg", portfolio.portfolio_matrix_svg, name="portfolio_matrix_svg"),
    path("portfolio/balance/", portfolio.portfolio_balance, name="portfolio_balance"),
    path("portfolio/criteria/", portfolio.portfolio_criteria, name="portfolio_criteria"),
    path("portfolio/criteria/new/", portfolio.portfolio_criterion_create,
         name="portfolio_criterion_create"),
    path("portfolio/criteria/<id:pk>/edit/", portfolio.portfolio_criterion_edit,
         name="portfolio_criterion_edit"),
    path("portfolio/criteria/<id:pk>/delete/", portfolio.portfolio_criterion_delete,
         name="portfolio_criterion_delete"),
    path("portfolio/export/", portfolio.portfolio_export, name="portfolio_export"),
]
