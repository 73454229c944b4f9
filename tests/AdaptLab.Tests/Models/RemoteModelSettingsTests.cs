using AdaptLab.Core.Models.Pipeline;
using AdaptLab.Core.Tasks;
using AdaptLab.Tests.Support;

namespace AdaptLab.Tests.Models;

public class RemoteModelSettingsTests
{
    [Fact]
    public void Task_file_settings_reach_the_remote_call_options()
    {
        using var dir = new TempDir();
        var task = WriteTask(dir, "max_concurrency: 3, timeout_s: 2.5, max_retries: 0");

        var model = TaskFileLoader.Load(task).Models["fake"];
        var options = RemoteCallOptions.For(model, taskConcurrency: 8);

        Assert.Equal(3, options.MaxConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.Timeout);
        Assert.Equal(0, options.Retry.MaxRetries);
    }

    [Fact]
    public void Without_settings_the_endpoint_limit_is_the_tasks_concurrency()
    {
        using var dir = new TempDir();
        var task = WriteTask(dir, string.Empty);

        var options = RemoteCallOptions.For(TaskFileLoader.Load(task).Models["fake"], taskConcurrency: 8);

        Assert.Equal(8, options.MaxConcurrency);
        Assert.Equal(new RemoteCallOptions().Timeout, options.Timeout);
        Assert.Equal(new RetryOptions().MaxRetries, options.Retry.MaxRetries);
    }

    [Theory]
    [InlineData("max_concurrency: 0", "max_concurrency")]
    [InlineData("timeout_s: 0", "timeout_s")]
    [InlineData("max_retries: -1", "max_retries")]
    [InlineData("max_retries: 1.5", "max_retries")]
    public void Bad_settings_are_rejected_naming_the_field(string setting, string field)
    {
        using var dir = new TempDir();
        var task = WriteTask(dir, setting);

        var error = Assert.Throws<InputException>(() => TaskFileLoader.Load(task));

        Assert.Contains(field, error.Message);
    }

    private static string WriteTask(TempDir dir, string settings)
    {
        var task = SentimentTask.WriteTask(dir, "http://127.0.0.1:9/v1", items: 3);
        var extra = settings.Length == 0 ? string.Empty : ", " + settings;
        File.WriteAllText(task, File.ReadAllText(task).Replace("output_price_per_1m: 2.0", "output_price_per_1m: 2.0" + extra));
        return task;
    }
}
