using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Aurous.PowerShell
{
    /// <summary>
    /// Runs async client work while keeping every Write* call on the pipeline thread, which is the only thread
    /// PowerShell allows them on. Work posts actions (a verbose line, a progress update, an output object); the
    /// pipeline thread blocks here, running them as they arrive, until the work completes or the user presses Ctrl+C.
    /// </summary>
    internal sealed class PipelineThreadDispatcher
    {
        private readonly ConcurrentQueue<Action> _actions = new ConcurrentQueue<Action>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private readonly CancellationTokenSource _stopping;

        public PipelineThreadDispatcher(CancellationTokenSource stopping)
        {
            _stopping = stopping;
        }

        /// <summary>Queues an action for the pipeline thread; safe from any thread.</summary>
        public void Post(Action action)
        {
            _actions.Enqueue(action);
            _signal.Release();
        }

        /// <summary>Blocks the pipeline thread until <paramref name="work"/> ends, running posted actions meanwhile.</summary>
        public T Run<T>(Func<CancellationToken, Task<T>> work)
        {
            // Task.Run keeps the work's continuations off the pipeline thread even if its first part is synchronous.
            CancellationToken token = _stopping.Token;
            Task<T> task = Task.Run(() => work(token), token);
            task.ContinueWith(_ => _signal.Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            try
            {
                while (true)
                {
                    try
                    {
                        _signal.Wait(token);
                    }
                    catch (OperationCanceledException)
                    {
                        // Ctrl+C: leave now even if the work is slow to observe its token.
                        throw new PipelineStoppedException();
                    }

                    Drain();
                    if (task.IsCompleted)
                    {
                        break;
                    }
                }

                Drain();
            }
            catch when (!task.IsCompleted)
            {
                // A Write* threw (downstream stopped, -ErrorAction Stop): nobody will read the rest, so stop the work.
                _stopping.Cancel();
                throw;
            }

            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private void Drain()
        {
            while (_actions.TryDequeue(out Action? action))
            {
                action();
            }
        }
    }
}
