using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;

namespace Aurous.Emulator;

/// <summary>The data folder cannot be used: not writable, not an emulator database, or in use by another emulator.</summary>
public sealed class DataFolderException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// --data: teams, characters, ledgers, idempotency records, the clock offset and the ref URL secret in one SQLite file,
/// so a restart on the same folder continues where the emulator stopped.
/// <para>
/// Durability: each <see cref="Commit"/> is one transaction in WAL mode with synchronous=NORMAL. A commit has written
/// its WAL frames to the operating system before it returns, and the response is written only after that, so every
/// answered request survives the emulator being killed (kill -9 included): the kernel still holds those writes. FULL
/// would add an fsync per commit, which only matters if the machine itself loses power; NORMAL still never corrupts
/// the file then, it may only lose the last commits.
/// </para>
/// <para>
/// The database is opened with an exclusive lock, held until the emulator stops (the operating system drops it if the
/// process dies), so two emulators never share one folder and diverge.
/// </para>
/// </summary>
internal sealed class SqliteStateStore : IStateStore
{
    public const string FileName = "aurous-emulator.db";

    private const int SchemaVersion = 1;
    private const string ClockOffsetKey = "clock_offset_ticks";
    private const string UrlSecretKey = "url_secret";

    private static readonly JsonSerializerOptions CharacterJson = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly SqliteConnection connection;
    private readonly List<Action<SqliteTransaction>> pending = [];
    private readonly SqliteCommand upsertCharacter;
    private readonly SqliteCommand upsertTeam;
    private readonly SqliteCommand insertCharge;
    private readonly SqliteCommand upsertKey;
    private readonly SqliteCommand upsertMeta;
    private TimeSpan committedOffset;

    private SqliteStateStore(SqliteConnection connection, byte[] urlSecret, TimeSpan clockOffset)
    {
        this.connection = connection;
        UrlSecret = urlSecret;
        committedOffset = clockOffset;
        upsertCharacter = Prepare("INSERT OR REPLACE INTO characters (id, team, body) VALUES ($1, $2, $3)", 3);
        upsertTeam = Prepare("INSERT OR REPLACE INTO teams (name, credits) VALUES ($1, $2)", 2);
        insertCharge = Prepare("INSERT INTO charges (team, route, character_id, idempotency_key, generations, at) VALUES ($1, $2, $3, $4, $5, $6)", 6);
        upsertKey = Prepare("INSERT OR REPLACE INTO idempotency (team, key, route, fingerprint, status, body, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", 7);
        upsertMeta = Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ($1, $2)", 2);
    }

    public byte[] UrlSecret { get; }

    /// <summary>Opens (or creates) the database in <paramref name="folder"/>, creating the folder if need be.</summary>
    public static SqliteStateStore Open(string folder)
    {
        var path = Path.Combine(Path.GetFullPath(folder), FileName);
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // One connection for the emulator's lifetime, unpooled so stopping releases the file at once. A short
            // busy timeout: the only contention is another emulator holding the folder, and waiting will not end it.
            connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 1 }.ToString());
            connection.Open();
            Execute(connection, "PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
            if (version > SchemaVersion)
            {
                throw new DataFolderException($"{path} was written by a newer emulator (schema {version}; this one reads {SchemaVersion}). Update aurous-emulator, or use another --data folder.");
            }

            // A write straight away takes the exclusive lock now rather than at the first request.
            using (var transaction = connection.BeginTransaction())
            {
                Execute(connection, $"""
                    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS teams (name TEXT PRIMARY KEY, credits INTEGER NOT NULL);
                    CREATE TABLE IF NOT EXISTS characters (id TEXT PRIMARY KEY, team TEXT NOT NULL, body TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS characters_by_team ON characters (team);
                    CREATE TABLE IF NOT EXISTS charges (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, team TEXT NOT NULL, route TEXT NOT NULL, character_id TEXT NOT NULL,
                        idempotency_key TEXT, generations INTEGER NOT NULL, at TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS charges_by_team ON charges (team);
                    CREATE TABLE IF NOT EXISTS idempotency (
                        team TEXT NOT NULL, key TEXT NOT NULL, route TEXT NOT NULL, fingerprint TEXT NOT NULL,
                        status INTEGER NOT NULL, body TEXT NOT NULL, completed_at INTEGER NOT NULL, PRIMARY KEY (team, key));
                    PRAGMA user_version = {SchemaVersion};
                    """, transaction);
                transaction.Commit();
            }

            var meta = Rows(connection, "SELECT key, value FROM meta").ToDictionary(row => row.GetString(0), row => row.GetString(1), StringComparer.Ordinal);

            var offset = meta.TryGetValue(ClockOffsetKey, out var ticks) ? TimeSpan.FromTicks(long.Parse(ticks, CultureInfo.InvariantCulture)) : TimeSpan.Zero;
            byte[] secret;
            if (meta.TryGetValue(UrlSecretKey, out var stored))
            {
                secret = Convert.FromBase64String(stored);
            }
            else
            {
                secret = RandomNumberGenerator.GetBytes(32);
                Execute(connection, "INSERT INTO meta (key, value) VALUES ($1, $2)", null, UrlSecretKey, Convert.ToBase64String(secret));
            }

            return new SqliteStateStore(connection, secret, offset);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or FormatException)
        {
            connection?.Dispose();
            var why = ex is SqliteException { SqliteErrorCode: 5 or 6 }
                ? "another emulator is using it; stop that one, or give this one another --data folder"
                : ex.Message.TrimEnd('.');
            throw new DataFolderException($"Cannot keep state in {path} ({why}).", ex);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    public StoredState Load()
    {
        var teams = new Dictionary<string, Team>(StringComparer.Ordinal);
        Team TeamNamed(string name) => teams.TryGetValue(name, out var team) ? team : teams[name] = new Team(name);

        foreach (var row in Rows(connection, "SELECT name, credits FROM teams"))
        {
            TeamNamed(row.GetString(0)).Credits = row.GetInt32(1);
        }

        foreach (var row in Rows(connection, "SELECT team, route, character_id, idempotency_key, generations, at FROM charges ORDER BY seq"))
        {
            TeamNamed(row.GetString(0)).Ledger.Add(new Charge(row.GetString(1), row.GetString(2), row.IsDBNull(3) ? null : row.GetString(3), row.GetInt32(4), row.GetString(5)));
        }

        var characters = Rows(connection, "SELECT body FROM characters")
            .Select(row => JsonSerializer.Deserialize<StoredCharacter>(row.GetString(0), CharacterJson)!)
            .ToList();
        var keys = Rows(connection, "SELECT team, key, route, fingerprint, status, body, completed_at FROM idempotency")
            .Select(row => IdempotencyStore.Entry.Completed(
                row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3),
                new ApiResult(row.GetInt32(4), row.GetString(5)), new DateTimeOffset(row.GetInt64(6), TimeSpan.Zero)))
            .ToList();
        return new StoredState(committedOffset, teams.Values.ToList(), characters, keys);
    }

    public void SaveCharacter(StoredCharacter character) =>
        pending.Add(t => Run(upsertCharacter, t, character.Id, character.Team, JsonSerializer.Serialize(character, CharacterJson)));

    public void SaveTeam(Team team) => pending.Add(t => Run(upsertTeam, t, team.Name, team.Credits));

    public void AddCharge(Team team, Charge charge) =>
        pending.Add(t => Run(insertCharge, t, team.Name, charge.Route, charge.CharacterId, charge.IdempotencyKey, charge.Generations, charge.At));

    public void SaveKey(IdempotencyStore.Entry entry) =>
        pending.Add(t => Run(upsertKey, t, entry.Team, entry.Key, entry.Route, entry.Fingerprint, entry.Result!.Status, entry.Result.Body, entry.CompletedAt.UtcTicks));

    public void ResetTeam(string team) => pending.Add(t =>
    {
        foreach (var table in new[] { "characters", "charges", "idempotency" })
        {
            Execute(connection, $"DELETE FROM {table} WHERE team = $1", t, team);
        }

        Execute(connection, "DELETE FROM teams WHERE name = $1", t, team);
    });

    public void ResetAll() => pending.Add(t => Execute(connection, "DELETE FROM characters; DELETE FROM charges; DELETE FROM idempotency; DELETE FROM teams;", t));

    public void Commit(TimeSpan clockOffset)
    {
        if (pending.Count == 0 && clockOffset == committedOffset)
        {
            return;
        }

        // On failure the transaction rolls back and the notes stay, to be written with the next commit.
        using (var transaction = connection.BeginTransaction())
        {
            foreach (var write in pending)
            {
                write(transaction);
            }

            if (clockOffset != committedOffset)
            {
                Run(upsertMeta, transaction, ClockOffsetKey, clockOffset.Ticks.ToString(CultureInfo.InvariantCulture));
            }

            transaction.Commit();
        }

        pending.Clear();
        committedOffset = clockOffset;
    }

    public void Dispose()
    {
        foreach (var command in new[] { upsertCharacter, upsertTeam, insertCharge, upsertKey, upsertMeta })
        {
            command.Dispose();
        }

        connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter("$" + i.ToString(CultureInfo.InvariantCulture), null));
        }

        return command;
    }

    private static void Run(SqliteCommand command, SqliteTransaction transaction, params object?[] values)
    {
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null, params object?[] values)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (i + 1).ToString(CultureInfo.InvariantCulture), values[i] ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Each row in turn: read what is needed before asking for the next.</summary>
    private static IEnumerable<SqliteDataReader> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return reader;
        }
    }
}
