export {
  DEFAULT_APP_ID,
  DEFAULT_APP_SECRET,
  MOCK_FEISHU_PORT,
  MOCK_FEISHU_READY_LOG,
  MockFeishuContainer,
  StartedMockFeishuContainer,
} from './mock-feishu-container.js';
export {
  MockFeishuControlError,
  MockFeishuControlPlane,
  type MockFeishuSandbox,
  type ClockState,
  type FaultRequest,
  type FaultRule,
  type QueryValue,
  type SeedAttachmentRequest,
  type SeedTaskRequest,
  type SeededTask,
  type SeededUser,
  type UserAccessToken,
} from './control-plane.js';
