from grappe.directory import text


def test_analysis_ignores_case_and_accents():
    # given the same word written four ways
    forms = [text.analyse(w) for w in ["Métrologie", "metrologie", "MÉTROLOGIE", "métrologie"]]
    # then they are indexed alike
    assert forms == [forms[0]] * 4
    assert "metrolog" in forms[0].split()


def test_analysis_knows_french_and_english_word_forms():
    # plural and singular, French and English, share a term
    assert set(text.word_terms("lasers")) & set(text.word_terms("laser")) == {"laser"}
    assert set(text.word_terms("optiques")) & set(text.word_terms("optique")) == {"optiqu"}
    assert set(text.word_terms("imaging")) & set(text.word_terms("image")) == {"imag"}
    assert set(text.word_terms("imagerie")) & set(text.word_terms("imagery")) == {"imageri"}


def test_stopwords_are_not_indexed():
    assert text.analyse("Les lasers de la fibre, with the fibre") == "laser fibr fibr"


def test_vocabulary_keeps_unaccented_words_of_three_letters_or_more():
    assert text.vocabulary(["Œil et métrologie à 3D, ok"]) == {"oeil", "metrologie"}


def test_edit_distance_counts_a_transposition_once_and_stops_at_the_limit():
    assert text.edit_distance("lazer", "laser", 2) == 1
    assert text.edit_distance("metorlogie", "metrologie", 2) == 1
    assert text.edit_distance("optik", "optique", 2) == 3
    assert text.edit_distance("abc", "abcdefgh", 2) == 3
