using AdaptLab.Server.FineTuning;
using Microsoft.AspNetCore.Http;

namespace AdaptLab.Server.Api;

/// <summary><c>POST /v1/files</c> (multipart: <c>file</c>, <c>purpose</c> fine-tune) and <c>GET /v1/files/{id}</c>, for fine-tuning jobs.</summary>
internal sealed class FilesEndpoint(FineTuningJobs jobs)
{
    public async Task UploadAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        if (!http.Request.HasFormContentType)
        {
            throw ApiException.BadRequest("Upload a file as multipart/form-data with the fields 'file' and 'purpose'.");
        }

        var form = await http.Request.ReadFormAsync(ct);
        var purpose = form["purpose"].ToString();
        if (purpose != "fine-tune")
        {
            throw ApiException.BadRequest($"'purpose' must be 'fine-tune' on this server, not '{purpose}'.", "purpose");
        }

        var file = form.Files["file"] ?? throw ApiException.BadRequest("'file' is required.", "file");
        using var content = new MemoryStream();
        await file.CopyToAsync(content, ct);
        await Json.WriteAsync(http.Response, 200, Body(jobs.AddFile(file.FileName, purpose, content.ToArray())), ct);
    }

    public Task GetAsync(HttpContext http, string id) =>
        Json.WriteAsync(http.Response, 200, Body(jobs.File(id) ?? throw NotFound(id)), http.RequestAborted);

    internal static ApiException NotFound(string id) => new(404, $"No file '{id}' on this server.", "file_id", "file_not_found");

    private static FileBody Body(UploadedFile file) => new(file.Id, file.Bytes, file.CreatedAt, file.Filename, file.Purpose);
}
