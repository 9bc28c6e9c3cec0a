export * from './aws-kms.js';
export * from './kms-sandbox.js';
export { signAwsRequest, type AwsCredentials } from './sigv4.js';
