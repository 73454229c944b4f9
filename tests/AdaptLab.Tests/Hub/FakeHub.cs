using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AdaptLab.Tests.Hub;

/// <summary>
/// A Hugging Face hub on 127.0.0.1, serving checkpoint folders the way the real one does: the revision
/// listing at /api/models/{repo}/revision/{rev}; /{repo}/resolve/{rev}/{file} answering small files itself
/// and redirecting LFS files (*.safetensors) to a CDN on another port with X-Linked-Size and X-Linked-Etag;
/// Range requests on the CDN; 401 for a gated repository asked without its token; 404 with X-Error-Code.
/// It records every request it gets.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    private readonly HttpListener hub = new();
    private readonly HttpListener cdn = new();
    private readonly Dictionary<string, Repository> repositories = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Request> requests = new();
    private readonly List<Task> loops = [];
    private readonly int cdnPort;

    public FakeHub()
    {
        var hubPort = FreePort();
        cdnPort = FreePort();
        hub.Prefixes.Add($"http://127.0.0.1:{hubPort}/");
        cdn.Prefixes.Add($"http://127.0.0.1:{cdnPort}/");
        hub.Start();
        cdn.Start();
        Endpoint = new Uri($"http://127.0.0.1:{hubPort}");
        loops.Add(Task.Run(() => ServeAsync(hub, HandleHubAsync)));
        loops.Add(Task.Run(() => ServeAsync(cdn, HandleCdnAsync)));
    }

    public Uri Endpoint { get; }

    public IReadOnlyList<Request> Requests => [.. requests];

    /// <summary>The next CDN transfer of this file sends only this many bytes and then drops the connection.</summary>
    public (string File, int Bytes)? CutOnce { get; set; }

    /// <summary>The hub states a wrong SHA-256 for this file.</summary>
    public string? WrongHashFor { get; set; }

    /// <summary>The hub states a size one byte short for this file.</summary>
    public string? WrongSizeFor { get; set; }

    /// <summary>Serves <paramref name="folder"/> as <paramref name="repository"/> (org/name); returns the commit.</summary>
    public string Add(string repository, string folder, string? requiredToken = null)
    {
        var commit = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        repositories[repository] = new Repository(repository, folder, commit, requiredToken);
        return commit;
    }

    private async Task HandleHubAsync(HttpListenerContext http)
    {
        var path = Uri.UnescapeDataString(http.Request.Url!.AbsolutePath);
        var (repository, rest) = FindRepository(path);
        if (repository is null)
        {
            await ErrorAsync(http.Response, 404, "RepoNotFound", "Repository not found");
            return;
        }

        if (repository.Token is { } token && http.Request.Headers["Authorization"] != $"Bearer {token}")
        {
            await ErrorAsync(http.Response, 401, "GatedRepo", "Access to this model is restricted; you must be authenticated.");
            return;
        }

        if (rest.StartsWith("revision/", StringComparison.Ordinal))
        {
            if (rest != "revision/main" && rest != "revision/" + repository.Commit)
            {
                await ErrorAsync(http.Response, 404, "RevisionNotFound", "Invalid rev id");
                return;
            }

            var listing = JsonSerializer.Serialize(new
            {
                id = repository.Id,
                sha = repository.Commit,
                siblings = Directory.GetFiles(repository.Folder, "*", SearchOption.AllDirectories)
                    .Select(f => new { rfilename = Path.GetRelativePath(repository.Folder, f).Replace('\\', '/') }),
            });
            await WriteAsync(http.Response, 200, Encoding.UTF8.GetBytes(listing), "application/json");
            return;
        }

        var file = rest.Split('/', 3) is ["resolve", var revision, var name] && (revision == repository.Commit || revision == "main")
            ? Path.Combine(repository.Folder, name)
            : null;
        if (file is null || !File.Exists(file))
        {
            await ErrorAsync(http.Response, 404, "EntryNotFound", "Entry not found");
            return;
        }

        var bytes = await File.ReadAllBytesAsync(file);
        if (!file.EndsWith(".safetensors", StringComparison.Ordinal))
        {
            http.Response.Headers["ETag"] = $"\"{Convert.ToHexStringLower(SHA1.HashData(bytes))}\"";
            await WriteAsync(http.Response, 200, bytes, "application/octet-stream");
            return;
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var stated = Path.GetFileName(file) == WrongHashFor ? new string('0', 64) : sha;
        var size = Path.GetFileName(file) == WrongSizeFor ? bytes.Length - 1 : bytes.Length;
        http.Response.Headers["X-Linked-Size"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["X-Linked-Etag"] = $"\"{stated}\"";
        http.Response.Headers["ETag"] = $"\"{stated}\"";
        http.Response.Headers["Location"] = $"http://127.0.0.1:{cdnPort}/cdn/{Uri.EscapeDataString(file)}?expires=1";
        http.Response.StatusCode = 302;
        http.Response.Close();
    }

    private async Task HandleCdnAsync(HttpListenerContext http)
    {
        var file = Uri.UnescapeDataString(http.Request.Url!.AbsolutePath["/cdn/".Length..]);
        var bytes = await File.ReadAllBytesAsync(file);
        var start = http.Request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal)
            ? int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        if (start >= bytes.Length)
        {
            await ErrorAsync(http.Response, 416, "RangeNotSatisfiable", "Requested range not satisfiable");
            return;
        }

        var response = http.Response;
        response.StatusCode = start > 0 ? 206 : 200;
        if (start > 0)
        {
            response.Headers["Content-Range"] = $"bytes {start}-{bytes.Length - 1}/{bytes.Length}";
        }

        response.ContentLength64 = bytes.Length - start;
        if (CutOnce is { } cut && cut.File == Path.GetFileName(file))
        {
            CutOnce = null;
            await response.OutputStream.WriteAsync(bytes.AsMemory(start, cut.Bytes));
            await response.OutputStream.FlushAsync();
            response.Abort();
            return;
        }

        await response.OutputStream.WriteAsync(bytes.AsMemory(start));
        response.Close();
    }

    private (Repository? Repository, string Remainder) FindRepository(string path)
    {
        var trimmed = path.StartsWith("/api/models/", StringComparison.Ordinal) ? path["/api/models/".Length..] : path.TrimStart('/');
        var parts = trimmed.Split('/', 3);
        return parts.Length == 3 && repositories.TryGetValue($"{parts[0]}/{parts[1]}", out var repository)
            ? (repository, parts[2])
            : (null, string.Empty);
    }

    private async Task ServeAsync(HttpListener listener, Func<HttpListenerContext, Task> handle)
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            // InvalidOperationException: the loop first ran after Stop (a test that disposes at once).
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            requests.Enqueue(new Request(context.Request.Url!, context.Request.Headers["Authorization"], context.Request.Headers["Range"]));
            _ = Task.Run(async () =>
            {
                try
                {
                    await handle(context);
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
                {
                    // The client went away.
                }
            });
        }
    }

    private static async Task ErrorAsync(HttpListenerResponse response, int status, string code, string message)
    {
        response.Headers["X-Error-Code"] = code;
        response.Headers["X-Error-Message"] = message;
        await WriteAsync(response, status, Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { error = message })), "application/json");
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, byte[] body, string contentType)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!hub.IsListening)
        {
            return;
        }

        hub.Stop();
        cdn.Stop();
        hub.Close();
        cdn.Close();
        await Task.WhenAll(loops);
    }

    public sealed record Request(Uri Url, string? Authorization, string? Range);

    private sealed record Repository(string Id, string Folder, string Commit, string? Token);
}
