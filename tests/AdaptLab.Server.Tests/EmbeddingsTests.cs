using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AdaptLab.Server.Tests;

[Collection(ServedStoriesCollection.Name)]
public sealed class EmbeddingsTests(ServedStories served)
{
    [Fact]
    public async Task MiniLm_embeddings_have_384_dimensions_and_place_similar_sentences_closer()
    {
        string[] input = ["The cat sits on the mat.", "A cat is sitting on a rug.", "Interest rates rose by half a point."];

        var body = await PostAsync(new { model = "all-MiniLM-L6-v2", input });

        var vectors = body["data"]!.AsArray().Select(d => d!["embedding"]!.AsArray().Select(x => (float)x!).ToArray()).ToList();
        Assert.Equal([0, 1, 2], body["data"]!.AsArray().Select(d => (int)d!["index"]!));
        Assert.All(vectors, v => Assert.Equal(384, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));
        Assert.True(Cosine(vectors[0], vectors[1]) > Cosine(vectors[0], vectors[2]) + 0.3,
            $"similar {Cosine(vectors[0], vectors[1])}, unrelated {Cosine(vectors[0], vectors[2])}");
        Assert.Equal("list", (string?)body["object"]);
        Assert.True((int)body["usage"]!["prompt_tokens"]! > input.Sum(s => s.Split(' ').Length));
    }

    [Fact]
    public async Task A_single_string_and_base64_encoding_give_the_same_vector()
    {
        var floats = await PostAsync(new { model = "all-MiniLM-L6-v2", input = "hello world" });
        var base64 = await PostAsync(new { model = "all-MiniLM-L6-v2", input = new[] { "hello world" }, encoding_format = "base64" });

        var expected = floats["data"]![0]!["embedding"]!.AsArray().Select(x => (float)x!).ToArray();
        var bytes = Convert.FromBase64String((string)base64["data"]![0]!["embedding"]!);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BitConverter.ToSingle(bytes, i * 4)).ToArray();
        Assert.Equal(expected, decoded);
    }

    private async Task<JsonNode> PostAsync(object request)
    {
        using var response = await served.Http.PostAsJsonAsync(served.Endpoint + "/embeddings", request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
