namespace Aurous.Emulator;

/// <summary>
/// Serves what refs[].url points at: a picture of the character per pose and generation (<see cref="RefPicture"/>), behind the signed token.
/// No API key is needed (the token is the credential), as with any signed storage URL.
/// </summary>
internal static class StorageEndpoints
{
    public static void Map(WebApplication app, EmulatorEngine engine)
    {
        app.MapGet("/storage/{id}/{file}", (HttpContext context, string id, string file) =>
        {
            var (pose, generation) = ParseFile(file);
            engine.Signer.Verify(id, pose, generation, context.Request.Query["token"].ToString());
            string name;
            CharacterAttributes? attributes;
            lock (engine.State.Sync)
            {
                var character = engine.State.Find(id);
                if (character is null || character.Status == CharacterStatus.Deleted)
                {
                    throw ApiErrors.CharacterNotFound();
                }

                (name, attributes) = (character.Name, character.Attributes);
            }

            context.Response.ContentType = "image/png";
            context.Response.Headers.CacheControl = "private, max-age=3600";
            return context.Response.Body.WriteAsync(RefPicture.Png(name, attributes, pose, generation), context.RequestAborted).AsTask();
        });
    }

    private static (string Pose, int Generation) ParseFile(string file)
    {
        var dash = file.LastIndexOf('-');
        if (file.EndsWith(".png", StringComparison.Ordinal) && dash > 0
            && int.TryParse(file.AsSpan(dash + 1, file.Length - dash - 5), out var generation)
            && Poses.Regenerable.Contains(file[..dash], StringComparer.Ordinal))
        {
            return (file[..dash], generation);
        }

        throw ApiErrors.RouteNotFound("/storage/…/" + file);
    }
}
