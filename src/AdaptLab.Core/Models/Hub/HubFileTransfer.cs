using System.Net;
using System.Security.Cryptography;

namespace AdaptLab.Core.Models.Hub;

/// <summary>
/// Fetches one file into <c>{target}.incomplete</c>, resuming with an HTTP Range request after a broken
/// connection (in this call, or one that died before), then checks its size and, for LFS files, its SHA-256
/// before moving it into place.
/// </summary>
internal sealed class HubFileTransfer(HubHttp http, HubOptions options, HubModelId model)
{
    private const int BufferSize = 1 << 20;

    public async Task DownloadAsync(Uri url, string target, string name, Action<long, long?> progress, CancellationToken cancellationToken)
    {
        var partial = target + ".incomplete";
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var expected = await TransferAsync(url, partial, name, progress, cancellationToken);
                Verify(partial, name, expected);
                File.Move(partial, target, overwrite: true);
                return;
            }
            catch (Exception e) when (HubErrors.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= options.Retries)
                {
                    throw e is HttpRequestException { StatusCode: null } request
                        ? HubErrors.Unreachable(request, options, model)
                        : new HubDownloadException(
                            $"{model}: downloading {name} failed {attempt + 1} times ({e.Message}); run again to resume from the bytes already fetched.", e);
                }

                await Task.Delay(TimeSpan.FromSeconds(attempt + 1), cancellationToken);
            }
        }
    }

    /// <summary>Appends what the server sends to <paramref name="partial"/>; returns the size and hash to expect.</summary>
    private async Task<LinkedFileHeaders> TransferAsync(Uri url, string partial, string name, Action<long, long?> progress, CancellationToken cancellationToken)
    {
        var offset = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var response = await http.GetAsync(url, offset, cancellationToken);
        var message = response.Message;
        if (message.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The partial file is as long as the file or longer: start over rather than trust it.
            File.Delete(partial);
            throw new IOException($"the server could not resume {name} at byte {offset}");
        }

        if (!message.IsSuccessStatusCode)
        {
            throw (int)message.StatusCode >= 500
                ? new HttpRequestException($"HTTP {(int)message.StatusCode}", null, message.StatusCode)
                : HubErrors.Refused(message, model, name, options.Token is not null);
        }

        var resumed = message.StatusCode == HttpStatusCode.PartialContent;
        if (resumed && message.Content.Headers.ContentRange?.From != offset)
        {
            throw new HubDownloadException($"{model}: the server resumed {name} at the wrong byte ({message.Content.Headers.ContentRange}, asked for {offset})");
        }

        offset = resumed ? offset : 0;
        var total = response.Linked.Size
            ?? (resumed ? message.Content.Headers.ContentRange?.Length : message.Content.Headers.ContentLength);
        await using var file = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        await using var body = await message.Content.ReadAsStreamAsync(cancellationToken);
        var received = await CopyAsync(body, file, offset, total, progress, cancellationToken);
        if (received < total)
        {
            throw new IOException($"the connection ended after {received} of {total} bytes");
        }

        return response.Linked with { Size = total };
    }

    private async Task<long> CopyAsync(Stream body, FileStream file, long done, long? total, Action<long, long?> progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        progress(done, total);
        while (true)
        {
            stall.CancelAfter(options.StallTimeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, stall.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"no data for {options.StallTimeout.TotalSeconds:0} s");
            }

            if (read == 0)
            {
                return done;
            }

            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            done += read;
            progress(done, total);
        }
    }

    private void Verify(string partial, string name, LinkedFileHeaders expected)
    {
        var size = new FileInfo(partial).Length;
        if (expected.Size is { } want && size != want)
        {
            File.Delete(partial);
            throw new HubDownloadException(
                $"{model}: {name} is {size} bytes but the hub said {want}; the download was deleted, run again to download it anew.");
        }

        if (expected.Sha256 is { } sha)
        {
            using var stream = File.OpenRead(partial);
            var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
            if (actual != sha)
            {
                stream.Dispose();
                File.Delete(partial);
                throw new HubDownloadException(
                    $"{model}: {name} has SHA-256 {actual} but the hub said {sha}; the download was deleted, run again to download it anew.");
            }
        }
    }
}
