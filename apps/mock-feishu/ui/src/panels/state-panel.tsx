import {
  controlPlane,
  data,
  type InspectedAttachment,
  type InspectedState,
  type InspectedTask,
} from '../api';
import { bytes, instant } from '../format';
import { SeedForm } from './seed-form';
import { who } from './who';
import type { Act } from './act';

/** A URL minted for the page, followed like a link: the browser downloads it, spending one use. */
async function download(attachment: InspectedAttachment): Promise<void> {
  const minted = await data(
    controlPlane.POST('/__mock/attachments/{attachment_guid}/download-urls', {
      params: { path: { attachment_guid: attachment.guid } },
    }),
  );
  const link = document.createElement('a');
  link.href = minted.url;
  link.download = attachment.name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}

function AttachmentRow({
  attachment,
  users,
  act,
}: {
  attachment: InspectedAttachment;
  users: InspectedState['users'];
  act: Act;
}) {
  return (
    <tr data-attachment={attachment.guid}>
      <td class="name">{attachment.name}</td>
      <td class="num">{bytes(attachment.size)}</td>
      <td>{who(attachment.uploader, users)}</td>
      <td>
        <time dateTime={new Date(attachment.uploaded_at).toISOString()}>
          {instant(attachment.uploaded_at)}
        </time>
      </td>
      <td class="actions">
        <button
          type="button"
          aria-label={`Download ${attachment.name}`}
          onClick={() => act(`Downloaded ${attachment.name}`, () => download(attachment))}
        >
          Download
        </button>
        <button
          type="button"
          class="danger"
          aria-label={`Delete ${attachment.name}`}
          onClick={() =>
            act(`Deleted ${attachment.name}`, () =>
              data(
                controlPlane.DELETE('/__mock/attachments/{attachment_guid}', {
                  params: { path: { attachment_guid: attachment.guid } },
                }),
              ),
            )
          }
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

/** The task's times and place among tasks, on one line; only what is set. */
function TaskFacts({ task }: { task: InspectedTask }) {
  const facts = [
    task.start !== undefined && `starts ${instant(task.start)}`,
    task.due !== undefined && `due ${instant(task.due)}`,
    task.completed_at > 0 && `completed ${instant(task.completed_at)}`,
    task.parent_task_guid !== undefined && `subtask of ${task.parent_task_guid}`,
    task.subtask_count > 0 && `${task.subtask_count} subtask${task.subtask_count === 1 ? '' : 's'}`,
    task.updated_at !== task.created_at && `updated ${instant(task.updated_at)}`,
  ].filter((fact): fact is string => typeof fact === 'string');
  return facts.length === 0 ? null : <p class="meta facts">{facts.join(' · ')}</p>;
}

export function StatePanel({ state, act }: { state: InspectedState; act: Act }) {
  return (
    <section class="panel state" aria-labelledby="state-heading">
      <h2 id="state-heading">State</h2>
      <div class="identities">
        <div>
          <h3>Apps</h3>
          <ul>
            {state.apps.map((app) => (
              <li key={app.app_id}>
                <code>{app.app_id}</code> <span class="muted">{app.scopes.length} scopes</span>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <h3>Users</h3>
          {state.users.length === 0 ? (
            <p class="muted">None yet (POST /__mock/users).</p>
          ) : (
            <ul>
              {state.users.map((user) => (
                <li key={user.open_id}>
                  {user.name} <code>{user.open_id}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>

      <h3>Tasks</h3>
      {state.tasks.length === 0 && <p class="muted">No tasks. Seed one below.</p>}
      {state.tasks.map((task) => (
        <article class="task" key={task.guid} data-task={task.guid} aria-label={`Task ${task.summary}`}>
          <h4>
            {task.summary} <span class={`status ${task.status}`}>{task.status}</span>
          </h4>
          <p class="meta">
            <code>{task.guid}</code> ({task.task_id}) · created by {who(task.creator, state.users)}
            {task.members.length > 0 && (
              <>
                {' '}
                · members:{' '}
                {task.members.map((member) => `${who(member.key, state.users)} (${member.role})`).join(', ')}
              </>
            )}
          </p>
          <TaskFacts task={task} />
          {task.attachments.length === 0 ? (
            <p class="muted">No attachments.</p>
          ) : (
            <div class="scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Size</th>
                    <th scope="col">Uploader</th>
                    <th scope="col">Uploaded</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {task.attachments.map((attachment) => (
                    <AttachmentRow
                      key={attachment.guid}
                      attachment={attachment}
                      users={state.users}
                      act={act}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </article>
      ))}
      <SeedForm act={act} />
    </section>
  );
}
