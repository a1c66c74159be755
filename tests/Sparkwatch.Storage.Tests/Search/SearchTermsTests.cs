using Sparkwatch.Storage.Search;

namespace Sparkwatch.Storage.Tests.Search;

/// <summary>The query language and the tokens: what a typed query means, whatever it holds.</summary>
public sealed class SearchTermsTests
{
    [Fact]
    public void Words_are_separate_clauses_and_a_dotted_name_is_a_phrase()
    {
        var terms = SearchTerms.Parse("java.lang.OutOfMemoryError  heap");

        Assert.Equal(2, terms.Clauses.Count);
        Assert.Equal(["java", "lang", "outofmemoryerror"], terms.Clauses[0].Tokens);
        Assert.Empty(terms.Clauses[0].Parts);
        Assert.Equal(["heap"], terms.Clauses[1].Tokens);
    }

    [Fact]
    public void A_compound_word_carries_its_parts_and_a_star_makes_a_prefix()
    {
        var clause = Assert.Single(SearchTerms.Parse("OutOfMem*").Clauses);

        Assert.Equal(["outofmem"], clause.Tokens);
        Assert.Equal(["out", "of", "mem"], clause.Parts);
        Assert.True(clause.Prefix);
    }

    [Fact]
    public void Quotes_make_a_phrase_even_when_left_open()
    {
        var terms = SearchTerms.Parse("\"Caused by: java.io\" \"FileNotFound");

        Assert.Equal(["caused", "by", "java", "io"], terms.Clauses[0].Tokens);
        Assert.Equal(["filenotfound"], terms.Clauses[1].Tokens);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("( ) * : ^ - ' \0")]
    public void A_query_without_letters_or_digits_is_empty(string q) => Assert.True(SearchTerms.Parse(q).IsEmpty);

    [Fact]
    public void Operators_are_plain_words()
    {
        var terms = SearchTerms.Parse("a NEAR(b) OR NOT c");

        Assert.Equal(["a", "near b", "or", "not", "c"], terms.Clauses.Select(c => string.Join(' ', c.Tokens)));
    }

    [Fact]
    public void A_query_keeps_at_most_its_clause_limit()
    {
        Assert.Equal(SearchTerms.MaxClauses, SearchTerms.Parse(string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"))).Clauses.Count);
    }

    [Theory]
    [InlineData("OutOfMemoryError", "out of memory error")]
    [InlineData("HTTPServerException", "http server exception")]
    [InlineData("SparkException", "spark exception")]
    [InlineData("lowercase", "")]
    [InlineData("ABC", "")]
    public void Compound_names_split_at_their_humps(string token, string parts) =>
        Assert.Equal(parts, string.Join(' ', SearchText.CamelParts(token)));

    [Fact]
    public void The_parts_of_a_text_list_each_compound_once()
    {
        Assert.Equal("out of memory error\nspark exception\n", SearchText.Parts("java.lang.OutOfMemoryError: x OutOfMemoryError SparkException plain"));
    }

    [Fact]
    public void A_snippet_marks_the_matches_escapes_the_text_and_shows_the_best_stretch()
    {
        var text = new string('x', 400) + " <b> java.lang.OutOfMemoryError: Java heap space " + new string('y', 400);

        var snippet = SearchSnippet.Build(text, SearchTerms.Parse("OutOfMemory heap"));

        Assert.StartsWith("…", snippet);
        Assert.EndsWith("…", snippet);
        Assert.Contains("&lt;b&gt; java.lang.<mark>OutOfMemoryError</mark>: Java <mark>heap</mark> space", snippet);
        Assert.True(snippet.Length < 600);
    }
}
