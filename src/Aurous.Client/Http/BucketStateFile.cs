using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.Client.Http;

/// <summary>
/// One bucket's state in a 48-byte file, read, changed and written under an exclusive open (FileShare.None), which
/// every process of the machine honours: Windows natively, .NET on Linux and macOS through an advisory lock taken on
/// open. The file is named by a hash of the endpoint, the key's hash and the bucket: the key never appears in the
/// name or the contents, which are a marker, the token count and a UTC timestamp (the first 24 bytes, as the first
/// version wrote them), then what the machine learned of its share (<see cref="LearnedRate"/>). A version that knows
/// only the first 24 bytes reads and writes those and leaves the rest; a 24-byte file has learned nothing.
/// A file that cannot be used (a read-only or full disk, no permission) is set aside for a minute, with a Verbose
/// note, and the process paces itself alone meanwhile.
/// </summary>
internal sealed class BucketStateFile : IBucketStore
{
    public const string Extension = ".bucket";

    /// <summary>How long another process may hold the file before this one gives up; it holds it for microseconds.</summary>
    private static readonly TimeSpan LockPatience = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    private const long Marker = 0x31425541; // "AUB1"
    private const int BaseSize = 24;
    private const int Size = 48;

    private readonly byte[] _buffer = new byte[Size];
    private readonly object _gate = new();
    private readonly string _bucket;
    private DateTimeOffset _unusableUntil;

    public BucketStateFile(string directory, string scope, string bucket)
    {
        Directory = directory;
        Path = System.IO.Path.Combine(directory, FileName(scope, bucket));
        _bucket = bucket;
    }

    public delegate TimeSpan Change(ref BucketState state);

    public string Directory { get; }

    public string Path { get; }

    public string Sharing => "shared with this user's other processes";

    public bool Local => true;

    public ValueTask<BucketResult> ApplyAsync(BucketChange change, AurousRequestContext context)
    {
        lock (_gate)
        {
            if (change.Now < _unusableUntil)
            {
                throw new BucketStoreUnavailableException();
            }

            try
            {
                var result = default(BucketResult);
                Update((ref BucketState state) =>
                {
                    result = TokenBucket.Apply(ref state, change);
                    return result.Wait;
                }, out _);
                return new ValueTask<BucketResult>(result);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or NotSupportedException)
            {
                _unusableUntil = change.Now + RetryAfter;
                context.Log(
                    AurousLogLevel.Verbose,
                    $"The {_bucket} bucket of {context.Host} is not shared with this user's other processes for the next minute: its state file in {Directory} cannot be used ({e.GetType().Name}: {e.Message}). This process keeps to the limit on its own meanwhile.");
                throw new BucketStoreUnavailableException();
            }
        }
    }

    /// <summary>Not thread-safe: <see cref="ApplyAsync"/> serialises the threads of this process.</summary>
    /// <exception cref="IOException">when the file cannot be opened within <see cref="LockPatience"/>, or at all.</exception>
    /// <exception cref="UnauthorizedAccessException">when the folder or the file may not be written.</exception>
    public TimeSpan Update(Change change, out BucketState written)
    {
        using var stream = Open();
        var state = Read(stream);
        var result = change(ref state);
        Write(stream, state);
        written = state;
        return result;
    }

    internal static string FileName(string scope, string bucket)
    {
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes($"{scope}|{bucket}"));
        var name = new StringBuilder(40);
        for (var i = 0; i < 16; i++)
        {
            name.Append(hash[i].ToString("x2"));
        }

        return name.Append(Extension).ToString();
    }

    private FileStream Open()
    {
        var started = Stopwatch.GetTimestamp();
        for (var tries = 0; ; tries++)
        {
            try
            {
                return new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            }
            catch (DirectoryNotFoundException) when (tries == 0)
            {
                System.IO.Directory.CreateDirectory(Directory);
            }
            catch (IOException) when (Elapsed.Since(started) < LockPatience)
            {
                // Another process holds the file: it lets go within microseconds, so yield first, then sleep briefly.
                if (tries < 20)
                {
                    Thread.Yield();
                }
                else
                {
                    Thread.Sleep(1);
                }
            }
        }
    }

    private BucketState Read(FileStream stream)
    {
        var read = 0;
        int n;
        while (read < Size && (n = stream.Read(_buffer, read, Size - read)) > 0)
        {
            read += n;
        }

        // A new, truncated or foreign file is a bucket never used: full.
        if (read < BaseSize || Get(0, 4) != Marker)
        {
            return default;
        }

        var state = new BucketState { Tokens = BitConverter.Int64BitsToDouble(Get(8, 8)), UtcTicks = Get(16, 8) };
        if (read == Size)
        {
            state.Learned = new LearnedRate { Drawn = BitConverter.Int64BitsToDouble(Get(24, 8)), Share = BitConverter.Int64BitsToDouble(Get(32, 8)), UtcTicks = Get(40, 8) };
        }

        return state;
    }

    private void Write(FileStream stream, BucketState state)
    {
        Put(Marker, 0, 4);
        Put(0, 4, 4);
        Put(BitConverter.DoubleToInt64Bits(state.Tokens), 8, 8);
        Put(state.UtcTicks, 16, 8);
        Put(BitConverter.DoubleToInt64Bits(state.Learned.Drawn), 24, 8);
        Put(BitConverter.DoubleToInt64Bits(state.Learned.Share), 32, 8);
        Put(state.Learned.UtcTicks, 40, 8);
        stream.Position = 0;
        stream.Write(_buffer, 0, Size);
    }

    private long Get(int offset, int count)
    {
        long value = 0;
        for (var i = count - 1; i >= 0; i--)
        {
            value = (value << 8) | _buffer[offset + i];
        }

        return value;
    }

    private void Put(long value, int offset, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _buffer[offset + i] = (byte)(value >> (8 * i));
        }
    }
}
