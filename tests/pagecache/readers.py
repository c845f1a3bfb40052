"""What the page-cache tests share: the address readers use and the story
they read."""

HOST = "www.newsroom-zeitung.de"
HEADLINE = "Stadtrat streicht die Nachtbuslinie"
