using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client;

/// <summary>Typed access to the character API. Cheap to build per call; the HTTP pipeline and buckets are process-wide.</summary>
public sealed class AurousClient : IDisposable
{
    public AurousClient(AurousClientOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public AurousClientOptions Options { get; }

    public Task<Character> GetCharacterAsync(string id, CancellationToken ct = default) => throw new NotImplementedException();

    public Task<Character> UpdateCharacterAsync(string id, CharacterUpdate update, CancellationToken ct = default) => throw new NotImplementedException();

    public Task<Character> SaveCharacterAsync(string id, CancellationToken ct = default) => throw new NotImplementedException();

    public Task<Character> ResynthesizeCharacterAsync(string id, ResynthesizeRequest? request = null, CancellationToken ct = default) => throw new NotImplementedException();

    public Task<Character> RegenerateRefAsync(string id, RegenerateRefRequest request, CancellationToken ct = default) => throw new NotImplementedException();

    public Task<Character> CreateCharacterAsync(CharacterCreate request, CancellationToken ct = default) => throw new NotImplementedException();

    public Task DeleteCharacterAsync(string id, CancellationToken ct = default) => throw new NotImplementedException();

    public IAsyncEnumerable<CharacterWaitResult> WaitForCharactersAsync(IEnumerable<string> ids, CharacterWaitOptions? options = null, CancellationToken ct = default) => throw new NotImplementedException();

    public void Dispose()
    {
    }
}
