using AdaptLab.Core.Secrets;
using AdaptLab.Tests.Fakes;
using AdaptLab.Tests.Support;
using Microsoft.Data.Sqlite;

namespace AdaptLab.Tests;

public class SecretsTests
{
    [Fact]
    public async Task A_key_echoed_by_a_provider_error_is_never_stored_or_reported()
    {
        // Not shaped like any provider key: only knowing the configured value can catch it.
        var variable = "ADAPTLAB_TEST_CREDS_" + Guid.NewGuid().ToString("N")[..8];
        var secret = "plain-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            await using var server = await FakeOpenAiServer.StartAsync(SentimentTask.Model(), status: _ => 400);
            using var dir = new TempDir();
            var task = SentimentTask.WriteTask(dir, server.Endpoint, items: 3, concurrency: 1);
            File.WriteAllText(task, File.ReadAllText(task).Replace("input_price_per_1m", $"api_key_env: {variable}, input_price_per_1m"));
            var store = dir.Path("runs.db");

            var eval = await AdaptLabCli.RunAsync("eval", task, "--store", store);
            var reports = new List<string> { eval.Output + eval.Error };
            foreach (var format in new[] { "md", "json", "html" })
            {
                reports.Add((await AdaptLabCli.RunAsync("report", "latest", "--format", format, "-o", "-", "--store", store)).Output);
            }

            var stored = StoredErrors(store);
            Assert.Equal(3, stored.Count);

            // Positive control: the server did echo the credentials, and the mask stands where they were.
            Assert.All(stored, e => Assert.Contains("Authorization: Bearer " + SecretRedactor.Mask, e));
            Assert.All(stored, e => Assert.DoesNotContain(secret, e));
            Assert.All(reports, r => Assert.DoesNotContain(secret, r));
            Assert.Contains(SecretRedactor.Mask, reports[1]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_key_pasted_into_api_key_env_is_an_input_error_that_does_not_repeat_it()
    {
        using var dir = new TempDir();
        var task = SentimentTask.WriteTask(dir, "http://127.0.0.1:9/v1", items: 3);
        const string pasted = "sk-proj-abcdefghijklmnopqrstuvwxyz012345";
        File.WriteAllText(task, File.ReadAllText(task).Replace("input_price_per_1m", $"api_key_env: \"{pasted}\", input_price_per_1m"));

        var result = await AdaptLabCli.RunAsync("validate", task);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("models.fake.api_key_env", result.Error);
        Assert.Contains("not the key itself", result.Error);
        Assert.DoesNotContain(pasted, result.ToString());
    }

    [Theory]
    [InlineData("Authorization: Bearer abcdefghijkl123", "Authorization: Bearer [REDACTED]")]
    [InlineData("key sk-ant-api03-abcdefghijklmnopqrstuv was refused", "key [REDACTED] was refused")]
    [InlineData("token hf_abcdefghijklmnopqrstuvwxyz", "token [REDACTED]")]
    [InlineData("a normal sentence about keys and bearers", "a normal sentence about keys and bearers")]
    public void Shaped_tokens_are_masked_and_ordinary_text_is_not(string text, string expected) =>
        Assert.Equal(expected, SecretRedactor.FromEnvironment().Redact(text));

    [Theory]
    [InlineData("OPENAI_API_KEY", false)]
    [InlineData("my_key2", false)]
    [InlineData("sk-abcdefghijklmnopqrstuvwx", true)]
    [InlineData("has spaces", true)]
    public void Api_key_env_must_name_a_variable(string value, bool looksLikeKey) =>
        Assert.Equal(looksLikeKey, SecretRedactor.LooksLikeKey(value));

    // Read past the store's API, which redacts again on the way out: what is on disk must already be clean.
    private static List<string> StoredErrors(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT error FROM predictions WHERE error IS NOT NULL";
        using var reader = command.ExecuteReader();
        var errors = new List<string>();
        while (reader.Read())
        {
            errors.Add(reader.GetString(0));
        }

        return errors;
    }
}
