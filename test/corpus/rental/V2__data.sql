--
-- Data for Name: actor; Type: TABLE DATA (pg_dump's COPY format, saved by an editor with a BOM)
--

SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);

COPY public.actor (actor_id, first_name, last_name, last_update) FROM stdin;
1	PENELOPE	GUINESS	2022-02-15 09:34:33+00
2	NICK	WAHLBERG	2022-02-15 09:34:33+00
3	ED	CHASE	2022-02-15 09:34:33+00
4	JENNIFER	DAVIS; JR.	2022-02-15 09:34:33+00
5	ZOË	O'CONNOR	2022-02-15 09:34:33+00
6	陳	大文 😀	2022-02-15 09:34:33+00
\.

COPY public.film (film_id, title, description, release_year, rating, special_features, fulltext, last_update) FROM stdin;
1	ACADEMY DINOSAUR	A Epic Drama of a Feminist And a Mad Scientist who must Battle a Teacher in The Canadian Rockies	2012	PG	{"Deleted Scenes","Behind the Scenes"}	'academi':1 'dinosaur':2	2022-05-26 14:50:58.951+00
2	ACE GOLDFINGER	A Astounding Epistle of a Database Administrator\nAnd a Explorer	2017	G	{Trailers}	\N	2022-05-26 14:50:58.951+00
3	ADAPTATION HOLES	\N	\N	NC-17	{}	\N	2022-05-26 14:50:58.951+00
\.

COPY public.film_actor (actor_id, film_id, last_update) FROM stdin;
1	1	2022-02-15 10:05:03+00
2	1	2022-02-15 10:05:03+00
4	2	2022-02-15 10:05:03+00
6	3	2022-02-15 10:05:03+00
\.

SELECT pg_catalog.setval('public.actor_actor_id_seq', 6, true);
